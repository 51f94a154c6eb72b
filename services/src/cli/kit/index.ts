/** The command-line kit of `npm run stock` and `npm run perf`: option specs, checks, help, usage errors, progress. */
export {
  describeNumber,
  helpText,
  numberArgument,
  type OptionSpec,
  type OptionSpecs,
  optionsHelp,
  type ParsedOptions,
  parseCommandLine,
  parseOptions,
  reportError,
  requirePositive,
  USAGE_EXIT_CODE,
  UsageError,
  wholeNumber,
} from "./options";
export { type Progress, progressBar, statusLine } from "./progress";
