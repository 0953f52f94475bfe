// Keys of a form shown as a dialog.

/**
 * Esc closes the dialog and Enter submits it, except on a button (which
 * does its own thing) or a select (where Enter picks). A key handled here
 * goes no further.
 */
export function formDialogKey(e: KeyboardEvent, close: () => void, submit: () => void): void {
  if (e.key === "Escape") {
    e.preventDefault();
    e.stopPropagation();
    close();
  } else if (e.key === "Enter" && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLSelectElement)) {
    e.preventDefault();
    e.stopPropagation();
    submit();
  }
}
