import type { Command } from "commander";
import { describeError } from "../../errors.ts";
import { readScriptFile } from "../../scripted-model/load-script.ts";
import { type RecordedRequest, startScriptedModel } from "../../scripted-model/server.ts";
import { EXIT } from "../exit-codes.ts";

interface Options {
  script: string;
  port: string;
  host: string;
  quiet?: boolean;
}

export function registerScriptedModelCommand(program: Command): void {
  program
    .command("scripted-model")
    .description(
      "Serve a scripted OpenAI-compatible model on loopback, to replay a scenario against the App or the CLI (docs/scripted-model.md).",
    )
    .requiredOption("--script <file>", "YAML or JSON script of rules and replies")
    .option("--port <n>", "port to listen on (0: any free port)", "0")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--quiet", "do not log each request to stderr")
    .action(async (options: Options) => {
      process.exitCode = await serve(options);
    });
}

async function serve(options: Options): Promise<number> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65_535) {
    process.stderr.write(`--port ${JSON.stringify(options.port)}: expected an integer from 0 to 65535\n`);
    return EXIT.invalid;
  }
  const loaded = readScriptFile(options.script);
  if (!loaded.ok) {
    for (const problem of loaded.problems) {
      const where = `${options.script}${problem.line === undefined ? "" : `:${problem.line}`}`;
      process.stderr.write(`${where}: ${problem.path}: ${problem.message}\n`);
    }
    process.stderr.write(
      `${loaded.problems.length} problem(s); see docs/scripted-model.md for the format.\n`,
    );
    return EXIT.invalid;
  }
  let model: Awaited<ReturnType<typeof startScriptedModel>>;
  try {
    model = await startScriptedModel({
      loaded: loaded.script,
      port,
      host: options.host,
      ...(options.quiet ? {} : { onRequest: logRequest }),
    });
  } catch (error) {
    process.stderr.write(`cannot listen on ${options.host}:${port}: ${describeError(error)}\n`);
    return EXIT.error;
  }
  process.stdout.write(
    `scripted model listening on ${model.url} (${loaded.script.rules.length} rules from ${options.script})\n` +
      `use it with: AUTOFIX_LLM_BASE_URL=${model.url} AUTOFIX_LLM_API_KEY=scripted AUTOFIX_LLM_MODEL=scripted-model\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await model.close();
  process.stdout.write(`scripted model stopped after ${model.requests.length} request(s)\n`);
  return EXIT.ok;
}

function logRequest(request: RecordedRequest): void {
  const answer = request.status === null ? "hangs" : String(request.status);
  process.stderr.write(
    `${request.stage || "(no stage)"} model=${request.model} n=${request.n} → ${request.rule ?? "fallback"} ${answer}\n`,
  );
}
