/**
 * The built-in protected paths: what judges a candidate (tests, their infrastructure and config, the
 * code that starts before them), what installs its dependencies, what runs CI, and git's own files.
 * A patch may change the code under repair, never these. Globs are matched case-insensitively on
 * normalized repository-relative paths (see protected.ts); a repository's `protectedPaths` only add.
 */
export type ProtectionRule = {
  /** Stable name, shown in refusals: "pytest-infrastructure". */
  rule: string;
  globs: readonly string[];
};

export const BUILT_IN_RULES: readonly ProtectionRule[] = [
  { rule: "git-internals", globs: ["**/.git", "**/.git/**", "**/.gitmodules", "**/.gitattributes"] },
  { rule: "github-config", globs: [".github/**"] },
  {
    rule: "ci-config",
    globs: [
      "**/.travis.yml",
      ".circleci/**",
      "**/azure-pipelines.yml",
      "**/.gitlab-ci.yml",
      "**/appveyor.yml",
      "**/.appveyor.yml",
      "**/Jenkinsfile",
      ".buildkite/**",
      "**/.drone.yml",
      "**/bitbucket-pipelines.yml",
      "**/.pre-commit-config.yaml",
      // `make test` is a common test command (`sandbox.test`): the Makefile judges.
      "**/Makefile",
      "**/GNUmakefile",
      "**/*.mk",
    ],
  },
  {
    rule: "test-files",
    globs: [
      "**/test/**",
      "**/tests/**",
      "**/__tests__/**",
      "**/spec/**",
      "**/test_*.py",
      "**/*_test.py",
      "**/*.test.*",
      "**/*.spec.*",
      "**/__snapshots__/**",
      "**/*.snap",
    ],
  },
  {
    rule: "pytest-infrastructure",
    globs: [
      "**/conftest.py",
      "**/pytest.ini",
      "**/.pytest.ini",
      "**/pyproject.toml",
      "**/setup.cfg",
      "**/tox.ini",
      "**/noxfile.py",
    ],
  },
  {
    rule: "python-startup-hooks",
    globs: ["**/sitecustomize.py", "**/usercustomize.py", "**/*.pth", "**/*.pyc", "**/__pycache__/**"],
  },
  {
    rule: "python-dependencies",
    globs: [
      // setup.py is code run at install time and the dependency list: never the bug under repair here.
      "**/setup.py",
      "**/requirements*.txt",
      "**/requirements/**",
      "**/constraints*.txt",
      "**/Pipfile",
      "**/Pipfile.lock",
      "**/poetry.lock",
      "**/uv.lock",
      "**/pdm.lock",
      "**/environment.yml",
      "**/.venv/**",
      "**/venv/**",
      "**/site-packages/**",
    ],
  },
  {
    rule: "node-dependencies",
    globs: [
      "**/package.json",
      "**/package-lock.json",
      "**/npm-shrinkwrap.json",
      "**/yarn.lock",
      "**/pnpm-lock.yaml",
      "**/pnpm-workspace.yaml",
      "**/bun.lock",
      "**/bun.lockb",
      "**/.npmrc",
      "**/.yarnrc",
      "**/.yarnrc.yml",
      "**/.pnpmfile.cjs",
      "**/node_modules/**",
    ],
  },
  { rule: "mocha-infrastructure", globs: ["**/.mocharc", "**/.mocharc.*", "**/mocha.opts"] },
  {
    rule: "jest-infrastructure",
    // setupTests.* is what create-react-app's jest loads before every test file.
    globs: [
      "**/jest.config.*",
      "**/jest.setup.*",
      "**/jest-setup.*",
      "**/jest.preset.*",
      "**/setupTests.*",
      "**/setup-tests.*",
    ],
  },
  {
    rule: "vitest-infrastructure",
    // vitest reads vite.config.* when there is no vitest.config.*.
    globs: ["**/vitest.config.*", "**/vitest.workspace.*", "**/vitest.setup.*", "**/vite.config.*"],
  },
  { rule: "karma-infrastructure", globs: ["**/karma.conf.*", "**/karma.config.*", "**/.karma.conf.*"] },
  {
    rule: "node-test-infrastructure",
    // node:test reads node.config.json (Node 23+); tap reads .taprc; ava its ava.config.*.
    globs: ["**/node.config.json", "**/.taprc", "**/.taprc.*", "**/ava.config.*", "**/.nycrc", "**/.nycrc.*"],
  },
  {
    rule: "transform-config",
    // These decide how test and source files are compiled (tsconfig `paths` can redirect an import).
    globs: [
      "**/babel.config.*",
      "**/.babelrc",
      "**/.babelrc.*",
      "**/tsconfig*.json",
      "**/jsconfig*.json",
      "**/.swcrc",
    ],
  },
];

/** The rule name for globs a repository adds in its config. */
export const CONFIGURED_RULE = "configured-protected-paths";
