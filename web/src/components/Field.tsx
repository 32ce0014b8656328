/** A labelled input with its validation message beside it, linked for screen readers. */
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

interface Common {
  label: string;
  error?: string;
  hint?: ReactNode;
  testId?: string;
}

/** The props every control gets: its id, validity and the messages that describe it. */
function controlProps(id: string, error?: string, hint?: ReactNode, testId?: string) {
  const ids = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean);
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": ids.length ? ids.join(" ") : undefined,
    "data-testid": testId,
  };
}

/** The label, the control and its messages, laid out the same for every kind of field. */
function Shell(props: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  className: string;
  children: ReactNode;
}) {
  const { id, label, error, hint, className, children } = props;
  return (
    <div className={`field ${error ? "invalid" : ""} ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
}

function Messages({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`} data-testid="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}

export function Field({
  label,
  error,
  hint,
  testId,
  className = "",
  ...input
}: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <Shell {...{ id, label, error, hint, className }}>
      <input {...controlProps(id, error, hint, testId)} {...input} />
    </Shell>
  );
}

export function TextArea({
  label,
  error,
  hint,
  testId,
  className = "",
  ...input
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <Shell {...{ id, label, error, hint, className }}>
      <textarea {...controlProps(id, error, hint, testId)} {...input} />
    </Shell>
  );
}

export function Select({
  label,
  error,
  hint,
  testId,
  className = "",
  children,
  ...input
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Shell {...{ id, label, error, hint, className }}>
      <select {...controlProps(id, error, hint, testId)} {...input}>
        {children}
      </select>
    </Shell>
  );
}
