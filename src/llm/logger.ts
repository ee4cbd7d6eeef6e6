/** The slice of a pino logger the model layer uses (pino's `(object, message)` call shape). */
export interface LlmLogger {
  debug(object: Record<string, unknown>, message: string): void;
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export const silentLogger: LlmLogger = {
  debug() {},
  info() {},
  warn() {},
};
