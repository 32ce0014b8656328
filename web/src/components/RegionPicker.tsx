/** Province → city → district, three linked selects over China's complete division list. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { cityLabel, cityName, findRegion, loadRegions, type Region } from "../lib/regions.ts";
import { Select } from "./Field.tsx";

export interface RegionValue {
  province: string;
  city: string;
  district: string;
}

export function RegionPicker({
  value,
  onChange,
  errors = {},
}: {
  value: RegionValue;
  onChange: (next: RegionValue) => void;
  errors?: Partial<Record<keyof RegionValue, string>>;
}) {
  const { t } = useTranslation();
  const [regions, setRegions] = useState<Region[] | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    loadRegions().then(
      (r) => live && setRegions(r),
      (err: unknown) => live && setFailed(err),
    );
    return () => {
      live = false;
    };
  }, []);

  const province = findRegion(regions ?? undefined, value.province);
  // The city entry: by name, or the municipality's 市辖区 whose address name is the province's.
  const city = province ? findRegion(province.children, value.city, province) : undefined;
  const busy = !regions && !failed;
  const placeholder = busy ? t("region.loading") : t("region.choose");

  return (
    <div className="field-row region-picker" data-testid="region-picker" aria-busy={busy}>
      <Select
        label={t("region.province")}
        value={province?.code ?? ""}
        disabled={!regions}
        error={errors.province ?? (failed ? t("region.failed") : undefined)}
        testId="address-province"
        required
        onChange={(e) => {
          const next = regions?.find((r) => r.code === e.target.value);
          onChange({ province: next?.name ?? "", city: "", district: "" });
        }}
      >
        <option value="">{placeholder}</option>
        {regions?.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
      </Select>
      <Select
        label={t("region.city")}
        value={city?.code ?? ""}
        disabled={!province}
        error={errors.city}
        testId="address-city"
        required
        onChange={(e) => {
          const next = province?.children?.find((r) => r.code === e.target.value);
          onChange({
            province: value.province,
            city: next && province ? cityName(province, next) : "",
            district: "",
          });
        }}
      >
        <option value="">{placeholder}</option>
        {province?.children?.map((r) => (
          <option key={r.code} value={r.code}>
            {cityLabel(province, r)}
          </option>
        ))}
      </Select>
      <Select
        label={t("region.district")}
        value={findRegion(city?.children, value.district)?.code ?? ""}
        disabled={!city}
        error={errors.district}
        testId="address-district"
        required
        onChange={(e) => {
          const next = city?.children?.find((r) => r.code === e.target.value);
          onChange({ ...value, district: next?.name ?? "" });
        }}
      >
        <option value="">{placeholder}</option>
        {city?.children?.map((r) => (
          <option key={r.code} value={r.code}>
            {r.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
