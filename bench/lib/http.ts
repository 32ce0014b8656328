/** Setup requests (filling carts, warming caches, reading the catalog): not measured. */

export interface SetupRequest {
  method?: string;
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends every request, `concurrency` at a time; returns the statuses in order. */
export async function sendAll(
  origin: string,
  requests: SetupRequest[],
  concurrency = 16,
): Promise<number[]> {
  const statuses: number[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i];
        try {
          const res = await fetch(origin + r.path, {
            method: r.method ?? "GET",
            headers: {
              ...(r.body !== undefined ? { "content-type": "application/json" } : {}),
              ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
              ...r.headers,
            },
            body: r.body !== undefined ? JSON.stringify(r.body) : undefined,
            signal: AbortSignal.timeout(15_000),
          });
          await res.arrayBuffer();
          statuses[i] = res.status;
        } catch {
          statuses[i] = 0;
        }
      }
    }),
  );
  return statuses;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** "201 ×100, 409 ×1900" */
export function describeStatuses(statuses: number[] | Record<string, number>): string {
  const counts: Record<string, number> = {};
  if (Array.isArray(statuses)) for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  else Object.assign(counts, statuses);
  return Object.entries(counts)
    .map(([code, n]) => `${code} ×${n}`)
    .join(", ");
}
