/** What the baselines share: the small JSON body both ceilings answer with (about a product summary). */
export const ECHO_BODY = {
  id: "1",
  name: "Benchmark echo",
  price: 1999,
  currency: "CNY",
  stock: 42,
};

/** The echo gateway's extra route (under /api), baseline (b). */
export const ECHO_PATH = "/bench/echo";
