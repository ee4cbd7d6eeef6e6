/**
 * English function words, left out of an issue's *prose* terms (the same word written as code keeps its
 * weight). NLTK's English stop-word list plus the modal verbs it lacks: in prose they say nothing about
 * where a bug is, yet they match every docstring-heavy file (`sphinx/cmd/quickstart.py`, napoleon's
 * configuration docs) a little.
 */
export const PROSE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her " +
    "hers herself it its itself they them their theirs themselves what which who whom this that these " +
    "those am is are was were be been being have has had having do does did doing a an the and but if " +
    "or because as until while of at by for with about against between into through during before after " +
    "above below to from up down in out on off over under again further then once here there when where " +
    "why how all any both each few more most other some such no nor not only own same so than too very " +
    "can will just don should now ll re ve ain aren couldn didn doesn hadn hasn haven isn ma mightn " +
    "mustn needn shan shouldn wasn weren won wouldn would could might must shall may also"
  ).split(" "),
);
