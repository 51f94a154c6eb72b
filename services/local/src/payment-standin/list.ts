import { ParamError } from "./params";

/** Stripe's list limits: 10 objects a page unless asked, 1 to 100. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * One page of a Stripe list (`GET /v1/<objects>`), newest first, in Stripe's shape (`object: "list"`,
 * `data`, `has_more`, `url`) with its `limit` and `starting_after` cursor: the SDK's auto-pagination asks
 * for the page after the last id it was given until `has_more` is false.
 */
export function listPage<T extends { id: string; created: number }>(
  objects: T[],
  query: URLSearchParams,
  url: string,
): { object: "list"; data: T[]; has_more: boolean; url: string } {
  const limitText = query.get("limit");
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new ParamError(`Invalid integer: ${limitText}; limit must be between 1 and ${MAX_LIMIT}.`, "limit");
  // Newest first; objects made in the same second keep the reverse of the order they were made in.
  const newest = objects
    .map((object, made) => ({ object, made }))
    .sort((a, b) => b.object.created - a.object.created || b.made - a.made)
    .map(({ object }) => object);
  const after = query.get("starting_after");
  let from = 0;
  if (after !== null) {
    const at = newest.findIndex((object) => object.id === after);
    if (at < 0) throw new ParamError(`No such object: '${after}'`, "starting_after");
    from = at + 1;
  }
  const data = newest.slice(from, from + limit);
  return { object: "list", data, has_more: from + limit < newest.length, url };
}
