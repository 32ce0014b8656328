/** Create or edit a product: name, description, price, currency, stock, categories, picture. */
import { useTranslation } from "react-i18next";
import { i18n } from "../../i18n/index.ts";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors.ts";
import { catalog } from "../../api/shop.ts";
import type { Product, ProductInput } from "../../api/types.ts";
import { EmptyState, ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Field, Select, TextArea } from "../../components/Field.tsx";
import { ProductImage } from "../../components/ProductImage.tsx";
import { explain } from "../../lib/messages.ts";
import { parseMoney, toMajorText } from "../../lib/money.ts";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";

const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY"];

interface Draft {
  name: string;
  description: string;
  price: string;
  currency: string;
  stock: string;
  categories: string[];
  extraCategories: string;
  picture: string;
}

function draftOf(p?: Product): Draft {
  return {
    name: p?.name ?? "",
    description: p?.description ?? "",
    price: p ? toMajorText(p.price, p.currency) : "",
    currency: p?.currency ?? "CNY",
    stock: p ? String(p.stock) : "",
    categories: p?.categories ?? [],
    extraCategories: "",
    picture: p?.picture ?? "",
  };
}

/** The body to send, or the field problems found before sending. */
export function toProductInput(d: Draft): { input?: ProductInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = i18n.t("productForm.errorName");
  const price = parseMoney(d.price, d.currency);
  if (price === null) errors.price = i18n.t("productForm.errorPrice");
  const stock = /^\d+$/.test(d.stock.trim()) ? Number(d.stock.trim()) : null;
  if (stock === null) errors.stock = i18n.t("productForm.errorStock");
  const picture = d.picture.trim();
  if (picture && !/^(https?:\/\/|\/)/.test(picture))
    errors.picture = i18n.t("productForm.errorPicture");
  if (Object.keys(errors).length) return { errors };
  // Commas as typed in English or Chinese (, ， 、).
  const extra = d.extraCategories
    .split(/[,，、]/)
    .map((c) => c.trim())
    .filter(Boolean);
  const categories = [...new Set([...d.categories, ...extra])];
  return {
    errors,
    input: {
      name: d.name.trim(),
      description: d.description.trim(),
      price: price!,
      currency: d.currency,
      stock: stock!,
      categories,
      picture: picture || null,
    },
  };
}

export function ProductForm() {
  const { id } = useParams();
  const { t } = useTranslation();
  const editing = !!id;
  useTitle(editing ? t("productForm.editTitle") : t("productForm.newTitle"));
  const navigate = useNavigate();
  const existing = useLoad(
    (signal) => (id ? catalog.product(id, signal) : Promise.resolve(undefined)),
    [id],
  );
  const categories = useLoad((signal) => catalog.categories(signal), []);
  const [draft, setDraft] = useState<Draft>(draftOf());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (existing.data) setDraft(draftOf(existing.data));
  }, [existing.data]);

  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const toggleCategory = (name: string) =>
    setDraft((d) => ({
      ...d,
      categories: d.categories.includes(name)
        ? d.categories.filter((c) => c !== name)
        : [...d.categories, name],
    }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { input, errors: problems } = toProductInput(draft);
    setErrors(problems);
    setError(null);
    if (!input) return;
    setBusy(true);
    try {
      const saved = editing ? await catalog.update(id!, input) : await catalog.create(input);
      navigate("/merchant/products", { state: { saved: saved.name } });
    } catch (err) {
      setError(err);
      setErrors(explain(err).fields);
      setBusy(false);
    }
  };

  if (existing.loading) return <Spinner label={t("productPage.loading")} />;
  if (existing.error) {
    if (existing.error instanceof ApiError && existing.error.status === 404) {
      return (
        <EmptyState title={t("productForm.notFound")} icon="🏷️">
          <Link to="/merchant/products">{t("productForm.back")}</Link>
        </EmptyState>
      );
    }
    return <ErrorAlert error={existing.error} onRetry={existing.reload} />;
  }

  const known = (categories.data ?? []).map((c) => c.name);
  const allCategories = [...new Set([...known, ...draft.categories])];

  return (
    <div className="product-form-page">
      <nav aria-label={t("productPage.breadcrumb")} className="breadcrumb">
        <Link to="/merchant/products">{t("layout.yourProducts")}</Link>{" "}
        <span aria-hidden="true">/</span> {editing ? t("merchant.edit") : t("productForm.new")}
      </nav>
      <h1>
        {editing
          ? t("productForm.editing", { name: existing.data?.name })
          : t("productForm.newTitle")}
      </h1>
      <form className="product-form" onSubmit={submit} noValidate data-testid="product-form">
        <div className="form-main">
          <Field
            label={t("productForm.name")}
            value={draft.name}
            onChange={set("name")}
            error={errors.name}
            testId="product-name-input"
            required
          />
          <TextArea
            label={t("productForm.description")}
            rows={5}
            value={draft.description}
            onChange={set("description")}
            error={errors.description}
            testId="product-description-input"
          />
          <div className="field-row">
            <Field
              label={t("order.price")}
              inputMode="decimal"
              placeholder="19.99"
              value={draft.price}
              onChange={set("price")}
              error={errors.price}
              testId="product-price-input"
              required
            />
            <Select
              label={t("productForm.currency")}
              value={draft.currency}
              onChange={set("currency")}
              error={errors.currency}
              testId="product-currency-input"
            >
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
            <Field
              label={t("merchant.stock")}
              inputMode="numeric"
              placeholder="0"
              value={draft.stock}
              onChange={set("stock")}
              error={errors.stock}
              testId="product-stock-input"
              required
            />
          </div>
          <fieldset className="category-picker">
            <legend>{t("home.categories")}</legend>
            {allCategories.length ? (
              <div className="checks">
                {allCategories.map((c) => (
                  <label key={c} className="check">
                    <input
                      type="checkbox"
                      checked={draft.categories.includes(c)}
                      onChange={() => toggleCategory(c)}
                    />
                    {c}
                  </label>
                ))}
              </div>
            ) : null}
            <Field
              label={t("productForm.otherCategories")}
              value={draft.extraCategories}
              onChange={set("extraCategories")}
              error={errors.categories}
              testId="product-categories-input"
            />
          </fieldset>
          <Field
            label={t("productForm.picture")}
            value={draft.picture}
            onChange={set("picture")}
            error={errors.picture}
            placeholder="/images/tea.jpg"
            testId="product-picture-input"
          />
        </div>
        <aside className="form-side">
          <p className="muted small">{t("productForm.preview")}</p>
          <ProductImage
            src={draft.picture.trim() || null}
            name={draft.name || t("productForm.newTitle")}
            key={draft.picture}
          />
          <ErrorAlert error={error} testId="product-form-error" />
          <button
            type="submit"
            className="button primary large block"
            disabled={busy}
            data-testid="product-save"
          >
            {busy
              ? t("productForm.saving")
              : editing
                ? t("productForm.saveChanges")
                : t("productForm.createProduct")}
          </button>
          <Link to="/merchant/products" className="button ghost block">
            {t("productForm.cancel")}
          </Link>
        </aside>
      </form>
    </div>
  );
}
