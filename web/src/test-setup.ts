import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { i18n, loadLanguage } from "./i18n/index.ts";

// Component tests read English unless they switch (the catalogs are checked in i18n/catalog.test.ts).
await loadLanguage("en");
await i18n.changeLanguage("en");

afterEach(async () => {
  cleanup();
  localStorage.clear();
  if (i18n.language !== "en") await i18n.changeLanguage("en");
});
