/** Hides the password of a connection URL so it can be printed. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}
