/** How much a user's account holds (kept apart so the route table loads no database code). */

/** Entries of an address book. */
export const MAX_ADDRESSES = 20;

/** Favourite products. */
export const MAX_FAVORITES = 500;
