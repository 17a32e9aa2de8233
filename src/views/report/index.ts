// The step report: a self-contained HTML file of chosen steps of a run, for `mmu-lens run --report`
// and the extension's "Export Step Report".

export { buildStepReport, CONTENT_SECURITY_POLICY, type StepReportInput } from './buildReport';
export { captureStep, type CapturedStep } from './capture';
export {
  type ChosenStep,
  MAX_DEFAULT_STEPS,
  MAX_LISTED_STEPS,
  parseStepList,
  type RunFailure,
  StepCollector,
  type StepChoice,
  type StepReason,
} from './chooseSteps';
export { comparedStep, stopReport } from './stopReport';
