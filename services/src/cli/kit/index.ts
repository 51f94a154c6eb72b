/** The command-line kit of `npm run stock` and `npm run perf`: option specs, checks, help, usage errors, progress. */
export {
  helpText,
  type OptionSpec,
  type OptionSpecs,
  type ParsedOptions,
  parseCommandLine,
  parseOptions,
  reportError,
  USAGE_EXIT_CODE,
  UsageError,
  wholeNumber,
} from "./options";
export { type Progress, progressBar, statusLine } from "./progress";
