/**
 * `npm run bench`: the purchase bench (purchase-bench.ts); `npm run bench -- catalog [options]`: the read path
 * against a 5-product and a 1,000-product catalog (catalog-bench.ts). Each runs when loaded.
 */
if (process.argv[2] === "catalog") {
  process.argv.splice(2, 1);
  require("./catalog-bench");
} else require("./purchase-bench");
