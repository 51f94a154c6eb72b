/** One `npm run stock` command: its help text and what it does with the arguments after its name. */
export interface StockCommand {
  help: string;
  run(argv: string[]): Promise<void>;
}
