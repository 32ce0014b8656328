import { useEffect } from "react";

/** Sets the document title: "Page · Douyin mall". */
export function useTitle(title?: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Douyin mall` : "Douyin mall";
  }, [title]);
}
