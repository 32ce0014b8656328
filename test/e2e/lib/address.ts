/** The checkout's province → city → district picker, driven as a shopper would. */
import type { Page } from "./browser.ts";

/** Chooses the option with `code` (a division code, e.g. 44 广东省) once the list has it. */
export async function pick(page: Page, testId: string, code: string): Promise<void> {
  const select = page.getByTestId(testId);
  await select.locator(`option[value="${code}"]`).waitFor({ state: "attached" });
  await select.selectOption(code);
}
