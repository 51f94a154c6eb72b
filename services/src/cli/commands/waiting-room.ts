import { getProductItem } from "../../store/merchandising";
import { setWaitingRoom } from "../../store/waiting-room-admin";
import { admissionRateProblem } from "../catalog-file";
import { parseCommandLine, UsageError } from "../kit";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";
import { printWaitingRooms } from "./tables";

const OPTIONS = {
  rate: { type: "string", help: 'shoppers admitted per second, or "default"' },
  json: { type: "boolean", default: false, help: "print JSON instead of a table" },
  ...TARGET_OPTIONS,
} as const;

export const waitingRoom: StockCommand = {
  help: `Usage: npm run stock -- waiting-room <sku> [on|off] [--rate <shoppers/s>|--rate default] [--json] [target options]

Shoppers of a product with a waiting room join a line (GET /admission/<sku>); those who join before
the opening get a place drawn at random, later ones queue in arrival order; places are admitted at
the rate from the opening, and only admitted shoppers can buy. Without on/off or --rate, shows the
waiting room: rate, joined, admitted, waiting.
  on | off        turn the waiting room on or off
  --rate <n>      admit n shoppers per second (above 0); "default" = shardCount x 250, what the
                  shards can sell. Changed during the sale, admission goes on from where it stands.
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    const [sku, toggle] = positionals;
    if (!sku) throw new UsageError(`waiting-room needs <sku>\n\n${waitingRoom.help}`);
    if (toggle !== undefined && toggle !== "on" && toggle !== "off")
      throw new UsageError(`waiting-room takes on or off, got '${toggle}'`);
    // "default" or a rate checked by the catalog file's own rule (the same words in both places).
    const rate = values.rate === undefined || values.rate === "default" ? values.rate : Number(values.rate);
    const problem = typeof rate === "number" ? admissionRateProblem(rate) : undefined;
    if (problem) throw new UsageError(`--rate ${problem}, or "default"; got '${values.rate}'`);
    const target = connect(values);
    if (!(await getProductItem(target.doc, target.tableName, sku)))
      throw new Error(`no product '${sku}' in table ${target.describe}`);
    const { after } = await setWaitingRoom(target.doc, target.tableName, sku, {
      ...(toggle ? { enabled: toggle === "on" } : {}),
      ...(rate !== undefined ? { rate } : {}),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(after, null, 2)}\n`);
    else
      printWaitingRooms(
        [after],
        toggle !== undefined || rate !== undefined
          ? `Waiting room of ${sku} ${after.enabled ? "on" : "off"}.`
          : undefined,
      );
  },
};
