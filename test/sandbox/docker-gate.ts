import Docker from "dockerode";

/**
 * Whether the Docker tests run. With `CI` set they always run, so a missing engine fails them
 * (the sandbox is not optional there); locally without an engine they skip, loudly.
 */
export async function dockerGate(suite: string): Promise<{ skip: boolean }> {
  const answers = await new Docker()
    .ping()
    .then(() => true)
    .catch(() => false);
  if (answers || process.env.CI) return { skip: false };
  process.stderr.write(
    `\n!!! ${suite}: SKIPPED — no Docker engine answers. Run \`bash scripts/docker/ensure-dockerd.sh && bash images/build.sh\`.\n` +
      "!!! (With CI set these tests fail instead of skipping.)\n\n",
  );
  return { skip: true };
}
