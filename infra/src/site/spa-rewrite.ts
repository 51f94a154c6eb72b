/**
 * CloudFront Function (viewer request, default behaviour only): paths without a file extension are app routes,
 * so they get the SPA shell. Unlike distribution-wide custom error responses, this never touches /api/*,
 * so the API's own 404/403 JSON bodies reach the browser intact.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf(".") <= uri.lastIndexOf("/")) {
    request.uri = "/index.html";
  }
  return request;
}
`;
