// Parses AsyncAPI documents with @asyncapi/parser and prints, per document, one JSON line:
// its diagnostics and, per message, the payload and headers as the parser resolved them.
//
//   node parse_asyncapi.mjs <@asyncapi/parser entry file> <document>...
import { pathToFileURL } from "node:url";

const [entry, ...documents] = process.argv.slice(2);
const { Parser, fromFile } = await import(pathToFileURL(entry).href);
const SEVERITIES = ["error", "warning", "info", "hint"];

// The parser marks every schema it saw with x-parser-* keys; they are not part of the document.
// A recursive schema comes back as a cyclic object: a repeat of an enclosing one is cut off.
function plain(value, enclosing = new Set()) {
  if (value === null || typeof value !== "object") return value;
  if (enclosing.has(value)) return { $circular: true };
  const inner = new Set(enclosing).add(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, inner));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith("x-parser-"))
      .map(([key, item]) => [key, plain(item, inner)]),
  );
}

for (const path of documents) {
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, path).parse();
  const report = {
    path,
    diagnostics: diagnostics.map((d) => ({
      severity: SEVERITIES[d.severity] ?? String(d.severity),
      code: String(d.code),
      message: d.message,
      path: d.path.join("/"),
    })),
    channels: document ? document.channels().all().map((c) => c.id()) : null,
    operations: document
      ? document.operations().all().map((o) => ({ id: o.id(), action: o.action() }))
      : null,
    messages: document
      ? Object.fromEntries(
          document
            .messages()
            .all()
            .map((m) => [
              m.id(),
              { payload: plain(m.payload()?.json()), headers: plain(m.headers()?.json()) },
            ]),
        )
      : null,
  };
  console.log(JSON.stringify(report));
}
