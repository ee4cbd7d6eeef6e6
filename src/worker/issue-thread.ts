import type { IssueThread, RepoRole } from "../forge/forge.ts";
import type { IssueText } from "../localize/types.ts";
import { issueForPrompt } from "./issue-input.ts";

/** Turns the thread into the pipeline's issue text; `roleOf` asks GitHub for a person's role. */
export type IssueTextBuilder = (
  thread: IssueThread,
  roleOf: (login: string) => Promise<RepoRole>,
) => Promise<IssueText>;

/**
 * The trust rails of src/worker/issue-input.ts applied to the thread: hidden text stripped, text by
 * people without write access fenced (the issue) or left out (comments, and every bot's), long text
 * cut with a notice. Roles come from the collaborator permission API, asked once per person.
 */
export const trustedIssueText: IssueTextBuilder = async (thread, roleOf) => {
  const roles = new Map<string, Promise<RepoRole>>();
  const role = (login: string, isBot: boolean): Promise<RepoRole> => {
    if (isBot) return Promise.resolve("none");
    let known = roles.get(login);
    if (known === undefined) {
      known = roleOf(login);
      roles.set(login, known);
    }
    return known;
  };
  const author = { login: thread.author, role: await role(thread.author, false) };
  const comments = await Promise.all(
    thread.comments.map(async (c) => ({
      body: c.body,
      author: { login: c.author, role: await role(c.author, c.isBot), isBot: c.isBot },
    })),
  );
  const prompt = issueForPrompt({ title: thread.title, body: thread.body, author }, comments);
  return { title: prompt.title, body: prompt.body };
};
