/**
 * A product's pictures: the chosen one large, the others as thumbnails below it. The thumbnails
 * are one tab stop (roving tabindex): arrow keys, Home and End move between them and show the
 * picture; each names itself ("Picture 2 of 3") and says which one is shown (aria-pressed).
 */
import { useTranslation } from "react-i18next";
import { useRef, useState, type KeyboardEvent } from "react";
import { ProductImage } from "./ProductImage.tsx";

export function Gallery({ pictures, name }: { pictures: (string | null)[]; name: string }) {
  const { t } = useTranslation();
  const list = [...new Set(pictures.filter((p): p is string => !!p))];
  const [index, setIndex] = useState(0);
  const thumbs = useRef<(HTMLButtonElement | null)[]>([]);
  const shown = Math.min(index, Math.max(0, list.length - 1));

  const go = (next: number) => {
    const i = (next + list.length) % list.length;
    setIndex(i);
    thumbs.current[i]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowRight: shown + 1,
      ArrowDown: shown + 1,
      ArrowLeft: shown - 1,
      ArrowUp: shown - 1,
      Home: 0,
      End: list.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      go(moves[e.key]);
    }
  };

  return (
    <div className="gallery" data-testid="gallery">
      <ProductImage
        src={list[shown]}
        name={
          list.length > 1
            ? t("gallery.pictureOf", { name, n: shown + 1, total: list.length })
            : name
        }
        className="large"
        eager
        key={list[shown] ?? "none"}
      />
      {list.length > 1 ? (
        <div
          className="gallery-thumbs"
          role="group"
          aria-label={t("gallery.label", { name })}
          onKeyDown={onKey}
        >
          {list.map((src, i) => (
            <button
              key={src}
              type="button"
              ref={(el) => {
                thumbs.current[i] = el;
              }}
              className="gallery-thumb"
              aria-pressed={i === shown}
              aria-label={t("gallery.show", { n: i + 1, total: list.length })}
              tabIndex={i === shown ? 0 : -1}
              onClick={() => setIndex(i)}
              data-testid="gallery-thumb"
            >
              <img src={src} alt="" loading="lazy" decoding="async" />
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
