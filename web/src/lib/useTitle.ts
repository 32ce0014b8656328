import { useTranslation } from "react-i18next";
import { useEffect } from "react";

/** Sets the document title: "Page · Douyin mall". */
export function useTitle(title?: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? t("app.titled", { title }) : t("app.name");
  }, [title, t]);
}
