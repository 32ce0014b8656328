/**
 * "Are you sure?" as a modal <dialog> (not window.confirm): it has a title and a description that
 * screen readers announce, keeps focus inside while open, starts on the harmless choice, closes
 * on Escape (as "no") and gives focus back to what opened it.
 */
import { useTranslation } from "react-i18next";
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";

export interface ConfirmOptions {
  title: string;
  body?: ReactNode;
  /** The label of the button that goes ahead, e.g. "Ban". */
  confirm: string;
  /** A destructive action: the confirming button is red. */
  danger?: boolean;
}

interface Pending extends ConfirmOptions {
  resolve: (ok: boolean) => void;
}

/** `await confirm({...})` is true when the person confirmed; render `dialog` somewhere. */
export function useConfirm(): [(options: ConfirmOptions) => Promise<boolean>, ReactNode] {
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => setPending({ ...options, resolve })),
    [],
  );
  const dialog = pending ? (
    <ConfirmDialog
      {...pending}
      onClose={(ok) => {
        setPending(null);
        pending.resolve(ok);
      }}
    />
  ) : null;
  return [confirm, dialog];
}

export function ConfirmDialog({
  title,
  body,
  confirm,
  danger,
  onClose,
}: ConfirmOptions & { onClose: (ok: boolean) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const closed = useRef(false);
  const opener = useRef<Element | null>(null);
  const finish = (ok: boolean) => {
    if (closed.current) return;
    closed.current = true;
    ref.current?.close?.();
    (opener.current as HTMLElement | null)?.focus?.();
    onClose(ok);
  };

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    opener.current = document.activeElement;
    if (typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
    else dialog.setAttribute("open", "");
    dialog.querySelector<HTMLButtonElement>("[data-autofocus]")?.focus();
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={body ? `${id}-body` : undefined}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        // Escape: close as "no".
        e.preventDefault();
        finish(false);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          finish(false);
        }
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {body ? (
        <div id={`${id}-body`} className="confirm-body">
          {body}
        </div>
      ) : null}
      <div className="confirm-actions">
        <button
          type="button"
          className="button ghost"
          data-autofocus
          onClick={() => finish(false)}
          data-testid="confirm-cancel"
        >
          {t("confirm.cancel")}
        </button>
        <button
          type="button"
          className={`button ${danger ? "danger" : "primary"}`}
          onClick={() => finish(true)}
          data-testid="confirm-ok"
        >
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
