import type { AutofixConfig } from "../config/schema.ts";
import type { RankedElement } from "./rank-elements.ts";
import type { RankedFile } from "./rank-files.ts";
import type { ContextWindow, EditLocation } from "./windows.ts";

export type LocalizationBudget = AutofixConfig["localization"];

export interface IssueText {
  title?: string;
  body: string;
}

/** What one stage did: with a model, the usage it reported; without, what its prompt would cost. */
export interface StageReport {
  stage: "localize.files" | "localize.elements" | "localize.lines";
  usedModel: boolean;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Model answers that named nothing real (dropped) or were matched to the closest real name. */
  dropped: string[];
  corrected: { answer: string; matched: string }[];
  notes: string[];
}

export interface Localization {
  /** The files handed on (at most maxFiles). */
  files: RankedFile[];
  /** Retrieval's longer ranking, for the report. */
  candidateFiles: RankedFile[];
  /** Elements handed to repair (at most maxElements). */
  elements: RankedElement[];
  /** Sampled sets of edit locations (each at most maxEditLocations). */
  locationSets: EditLocation[][];
  /** What repair is shown: every set's locations ± contextLines, merged. */
  windows: ContextWindow[];
  stages: StageReport[];
  notices: string[];
}
