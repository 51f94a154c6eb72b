import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { Shop } from "../domain/shop";
import type { FunctionLog } from "./log";
import type { HttpResult } from "./response";

type AwsEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * What the routes' work and the handlers around it share (types only, so neither imports the other). The event
 * as API Gateway really sends it, narrower than @types/aws-lambda's: a public route's has no authorizer block,
 * every claim is a string, and `scopes` is null unless the route names authorization scopes.
 */
export type ApiEvent = Omit<AwsEvent, "requestContext"> & {
  requestContext: Omit<AwsEvent["requestContext"], "authorizer"> & {
    authorizer?: { jwt?: { claims: Record<string, string | undefined>; scopes: string[] | null } };
  };
};
export type ApiHandler = (event: ApiEvent) => Promise<HttpResult>;

/** What a route's work reports besides the response, for the request log. */
export interface Outcome {
  response: HttpResult;
  sku?: string;
  outcome?: string;
}

/** `log` takes what the work reports beyond the request line (a purchase's business metrics). */
export type RouteWork = (event: ApiEvent, shopper: string, shop: Shop, log: FunctionLog) => Promise<Outcome>;
/** Work that needs no shopper: the only kind a public (auth: false) route may do. */
export type PublicWork = (event: ApiEvent, shop: Shop, log: FunctionLog) => Promise<Outcome>;
