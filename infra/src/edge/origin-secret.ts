/**
 * The secret CloudFront adds to every request it forwards to the API (an origin custom header) and every route
 * function requires (services/src/http/api-handler.ts): the execute-api endpoint is public DNS, and without this
 * anyone could call it directly and skip the WAF's rate rule and the availability feed's cache while spending the
 * stage throttle real shoppers share. Generated once by the program, kept encrypted in the stack's state, given
 * to the distribution and the functions only (never an output). Rotate with `pulumi up --replace <urn>`: CloudFront
 * and the functions take the new value in the same update, so requests in between may get a 401.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** 48 letters and digits (~285 bits): a header value that needs no escaping. */
export const ORIGIN_SECRET_LENGTH = 48;

export function originSecret(name: string, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const password = new random.RandomPassword(name, { length: ORIGIN_SECRET_LENGTH, special: false }, opts);
  return pulumi.secret(password.result);
}
