import type { RouteWork } from "./handlers";
import { errorResponse, json } from "./response";

/**
 * GET /admission/{sku}[?ticket=…]: joins the waiting room on the first call, then says where the
 * shopper stands; once admitted, the body carries the pass the purchase needs. Polls that send back
 * the ticket are answered from memory (no DynamoDB call).
 */
export const admission: RouteWork = async (event, shopper, shop) => {
  const sku = event.pathParameters?.sku ?? "";
  const ticket = event.queryStringParameters?.ticket;
  const result = await shop.admission(shopper, sku, ticket);
  if (!result.ok) {
    return { response: errorResponse(result.code === "INVALID_REQUEST" ? 400 : 404, result.code, result.message, result.details), sku, outcome: result.code };
  }
  // Per shopper and changing by the second: never cached by a shared cache.
  return { response: json(200, result.view, { "cache-control": "private, no-store" }), sku, outcome: `ADMISSION_${result.view.state.toUpperCase().replace("-", "_")}` };
};
