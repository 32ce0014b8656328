/**
 * A labelled input with its validation message beside it, linked for screen readers.
 *
 * A field's message goes as soon as the field is edited (typed into, or its value changed by the
 * page, e.g. a test card filled in) and comes back on the next submit of its form if the page
 * still gives it: every form of the app gets this here, not page by page.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

interface Common {
  label: string;
  error?: string;
  hint?: ReactNode;
  testId?: string;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * The error to show: `error` until the control's value changes (by the person or the page), again
 * after the form's next submit or when the page gives another message.
 */
export function useShownError(
  error: string | undefined,
  value: unknown,
  onChange: ((e: ChangeEvent<never>) => void) | undefined,
) {
  const ref = useRef<Control>(null);
  const [dismissed, setDismissed] = useState(false);
  const [seen, setSeen] = useState({ error, value });
  if (seen.error !== error || seen.value !== value) {
    // Derived from props during render (React's documented pattern), no extra paint.
    if (seen.error !== error) setDismissed(false);
    else if (error) setDismissed(true);
    setSeen({ error, value });
  }
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    const again = () => setDismissed(false);
    form.addEventListener("submit", again);
    return () => form.removeEventListener("submit", again);
  }, []);
  const handleChange = (e: ChangeEvent<never>) => {
    if (error) setDismissed(true);
    onChange?.(e);
  };
  return { ref, shown: dismissed ? undefined : error, onChange: handleChange };
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
  const shown = useShownError(error, input.value, input.onChange);
  return (
    <Shell {...{ id, label, error: shown.shown, hint, className }}>
      <input
        {...controlProps(id, shown.shown, hint, testId)}
        {...input}
        ref={shown.ref as Ref<HTMLInputElement>}
        onChange={shown.onChange}
      />
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
  const shown = useShownError(error, input.value, input.onChange);
  return (
    <Shell {...{ id, label, error: shown.shown, hint, className }}>
      <textarea
        {...controlProps(id, shown.shown, hint, testId)}
        {...input}
        ref={shown.ref as Ref<HTMLTextAreaElement>}
        onChange={shown.onChange}
      />
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
  const shown = useShownError(error, input.value, input.onChange);
  return (
    <Shell {...{ id, label, error: shown.shown, hint, className }}>
      <select
        {...controlProps(id, shown.shown, hint, testId)}
        {...input}
        ref={shown.ref as Ref<HTMLSelectElement>}
        onChange={shown.onChange}
      >
        {children}
      </select>
    </Shell>
  );
}
