import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LanguageRegistry } from "../../src/code-index/languages.ts";
import { parseSource } from "../../src/code-index/parse-file.ts";
import type { ParsedFile } from "../../src/code-index/types.ts";
import { FIXTURES } from "./fixture-repo.ts";

const registry = new LanguageRegistry();

async function parse(path: string, text?: string): Promise<ParsedFile> {
  const grammar = await registry.grammarFor(path);
  if (!grammar) throw new Error(`no grammar for ${path}`);
  return parseSource(grammar, text ?? readFileSync(join(FIXTURES, path), "utf8"), { maxLiteralChars: 120 });
}

const spans = (parsed: ParsedFile) =>
  parsed.elements.map((e) => `${e.kind} ${e.qualifiedName} ${e.startLine}-${e.endLine}`);

describe("Python elements", () => {
  it("names classes, methods (decorators in the span), nested functions and top-level assignments exactly", async () => {
    const parsed = await parse("py-shop/shop/cart.py");
    expect(parsed.language).toBe("python");
    expect(spans(parsed)).toEqual([
      "variable MAX_ITEMS 4-4",
      "variable DEFAULT_CURRENCY 5-5",
      "function _round 8-9",
      "class Cart 12-40",
      "method Cart.__init__ 17-19",
      "method Cart.add_item 21-24",
      "method Cart.total 26-32",
      "function Cart.total.line_total 28-30",
      "method Cart.describe 34-36",
      "class Cart.Receipt 38-40",
      "method Cart.Receipt.render 39-40",
      "function empty_cart 43-45",
    ]);
    expect(parsed.elements.find((e) => e.qualifiedName === "Cart.add_item")?.signature).toBe(
      "def add_item(self, name, price, quantity=1):",
    );
    expect(parsed.hasSyntaxErrors).toBe(false);
  });

  it("keeps signatures and class structure in the skeleton, elides bodies, shortens long literals", async () => {
    const cart = await parse("py-shop/shop/cart.py");
    expect(cart.skeleton).toContain("class Cart:\n");
    expect(cart.skeleton).toContain("    def add_item(self, name, price, quantity=1):\n        ...");
    expect(cart.skeleton).toContain("    @property\n    def total(self):\n        ...");
    expect(cart.skeleton).toContain("    currency = DEFAULT_CURRENCY");
    expect(cart.skeleton).not.toContain("cart is full");
    expect(cart.skeleton).not.toContain("line_total");
    const pricing = await parse("py-shop/shop/pricing.py");
    expect(pricing.skeleton).toMatch(/^RATES = \{\n?.{0,40}\.\.\.\}$/m);
    expect(pricing.skeleton).not.toContain("employee");
    expect(pricing.skeleton).toContain("def parse_price(text):\n    ...");
  });

  it("indexes what parses around a syntax error instead of failing", async () => {
    const parsed = await parse("py-shop/shop/broken.py");
    expect(parsed.hasSyntaxErrors).toBe(true);
    const names = parsed.elements.map((e) => e.qualifiedName);
    expect(names).toContain("fine_before");
    expect(names).toContain("fine_after");
  });
});

describe("JavaScript and TypeScript elements", () => {
  it("turns member assignments into qualified names and drops prototype", async () => {
    const parsed = await parse("js-app/lib/router.js");
    expect(spans(parsed)).toEqual([
      "variable methods 3-3",
      "variable proto 5-10",
      "function proto.router 6-8",
      "function proto.handle 12-19",
      "function proto.handle.next 14-17",
      "function Router.route 21-23",
      "function appendMethods 25-29",
      "class Layer 31-39",
      "method Layer.constructor 32-34",
      "method Layer.match 36-38",
      "function isOptions 41-41",
    ]);
    const response = await parse("js-app/lib/response.js");
    expect(response.elements.map((e) => e.qualifiedName)).toEqual(["res", "res.send", "res.json"]);
    expect(response.skeleton).toContain("res.send = function send(body) { ... };");
  });

  it("parses TypeScript classes, interfaces, arrow constants and TSX components", async () => {
    const view = await parse("js-app/src/view.ts");
    expect(spans(view)).toEqual([
      "class ViewOptions 1-4",
      "class View 6-16",
      "method View.constructor 9-11",
      "method View.render 13-15",
      "function lookup 18-18",
      "function resolveView 20-22",
    ]);
    expect(view.skeleton).toContain("render(name: string): string { ... }");
    const tsx =
      "export function Widget(props: { title: string }) {\n  return <div>{props.title}</div>;\n}\n\nexport class Panel {\n  show() {\n    return <section />;\n  }\n}\n";
    const widget = await parse("src/widget.tsx", tsx);
    expect(widget.language).toBe("typescript");
    expect(spans(widget)).toEqual(["function Widget 1-3", "class Panel 5-9", "method Panel.show 6-8"]);
    expect(widget.hasSyntaxErrors).toBe(false);
  });
});

describe("Go, Java and Rust elements", () => {
  it("qualifies methods by their receiver or enclosing type", async () => {
    const go = await parse(
      "srv/server.go",
      "package srv\n\nconst Port = 80\n\ntype Server struct {\n\tAddr string\n}\n\nfunc (s *Server) Serve() error {\n\treturn nil\n}\n\nfunc New() *Server {\n\treturn &Server{}\n}\n",
    );
    expect(spans(go)).toEqual([
      "variable Port 3-3",
      "class Server 5-7",
      "method Server.Serve 9-11",
      "function New 13-15",
    ]);
    expect(go.skeleton).toContain("func (s *Server) Serve() error { ... }");
    const java = await parse(
      "src/Main.java",
      "class Main {\n  private int count = 0;\n  Main() {\n    count = 1;\n  }\n  int next() {\n    return ++count;\n  }\n}\n",
    );
    expect(spans(java)).toEqual([
      "class Main 1-9",
      "variable Main.count 2-2",
      "method Main.Main 3-5",
      "method Main.next 6-8",
    ]);
    const rust = await parse(
      "src/lib.rs",
      "pub struct Stack { items: Vec<i32> }\n\nimpl Stack {\n    pub fn push(&mut self, x: i32) {\n        self.items.push(x);\n    }\n}\n\nfn helper() -> i32 {\n    1\n}\n",
    );
    expect(spans(rust)).toEqual(["class Stack 1-1", "method Stack.push 4-6", "function helper 9-11"]);
    expect(rust.skeleton).toContain("pub fn push(&mut self, x: i32) { ... }");
  });
});
