import { describe, expect, it } from "vitest";
import type { CodeElement } from "../../src/code-index/types.ts";
import { goldLocations, parseUnifiedDiff } from "../../src/eval/patch-gold.ts";

const element = (
  qualifiedName: string,
  kind: CodeElement["kind"],
  startLine: number,
  endLine: number,
): CodeElement => ({
  kind,
  name: qualifiedName.split(".").at(-1) ?? qualifiedName,
  qualifiedName,
  startLine,
  endLine,
  signature: "",
});

const PATCH = `diff --git a/shop/cart.py b/shop/cart.py
--- a/shop/cart.py
+++ b/shop/cart.py
@@ -21,4 +21,5 @@ class Cart:
     def add_item(self, name, price, quantity=1):
-        if len(self.items) >= MAX_ITEMS:
+        if len(self.items) + quantity > MAX_ITEMS:
             raise ValueError("cart is full")
+        quantity = int(quantity)
         self.items.append((name, price, quantity))
@@ -30,0 +32,2 @@ class Cart:
+        # a comment inserted inside total
+        pass
diff --git a/sql/query.sql b/sql/query.sql
--- a/sql/query.sql
+++ b/sql/query.sql
@@ -1,3 +1,3 @@
--- a comment line that starts with dashes
+-- a better comment
 SELECT 1;
 SELECT 2;
diff --git a/shop/new_module.py b/shop/new_module.py
new file mode 100644
--- /dev/null
+++ b/shop/new_module.py
@@ -0,0 +1,2 @@
+def brand_new():
+    pass
`;

describe("parseUnifiedDiff", () => {
  it("numbers removed lines and insertion points in the base version, counting hunks instead of trusting prefixes", () => {
    const files = parseUnifiedDiff(PATCH);
    expect(files).toEqual([
      { basePath: "shop/cart.py", newPath: "shop/cart.py", changedLines: [22], insertionsAfter: [23, 30] },
      { basePath: "sql/query.sql", newPath: "sql/query.sql", changedLines: [1], insertionsAfter: [] },
      { basePath: undefined, newPath: "shop/new_module.py", changedLines: [], insertionsAfter: [0] },
    ]);
  });
});

describe("goldLocations", () => {
  const cart = [
    element("Cart", "class", 12, 40),
    element("Cart.add_item", "method", 21, 24),
    element("Cart.total", "method", 26, 32),
    element("Cart.total.line_total", "function", 28, 30),
  ];
  const elementsOf = (path: string) =>
    path === "shop/cart.py" ? cart : path === "sql/query.sql" ? [] : undefined;

  it("takes the files of the base the patch changes, their touched lines, and the innermost elements holding them", () => {
    const gold = goldLocations(PATCH, elementsOf);
    expect(gold.files).toEqual(["shop/cart.py", "sql/query.sql"]);
    expect(gold.lines.get("shop/cart.py")).toEqual([22, 23, 30]);
    expect(gold.elements).toEqual([
      { path: "shop/cart.py", qualifiedName: "Cart.add_item" },
      { path: "shop/cart.py", qualifiedName: "Cart.total" },
    ]);
  });

  it("has nothing to say about a patch that only adds files", () => {
    const onlyNew = PATCH.slice(PATCH.indexOf("diff --git a/shop/new_module.py"));
    expect(goldLocations(onlyNew, elementsOf)).toEqual({ files: [], lines: new Map(), elements: [] });
  });
});
