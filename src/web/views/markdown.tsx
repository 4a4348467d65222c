import type { Child } from "hono/jsx";

/**
 * A small Markdown subset for our own docs (headings, paragraphs, lists, tables, fenced code,
 * inline code, bold, links). Text goes through JSX, so it is always escaped. A heading or a table
 * row that names a KPI key in backticks gets that key as its id, so `/docs/kpis#net_revenue` lands on it.
 */
export function Markdown(props: { source: string }) {
  return <div class="prose">{renderBlocks(props.source.replace(/\r\n/g, "\n").split("\n"))}</div>;
}

const KEY = /`([a-z][a-z0-9_]*)`/;

function slug(text: string): string {
  const key = KEY.exec(text);
  if (key) return key[1]!;
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function renderBlocks(lines: string[]): Child[] {
  const out: Child[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("```")) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) code.push(lines[i]!);
      i++;
      out.push(
        <pre class="code">
          <code>{code.join("\n")}</code>
        </pre>,
      );
    } else if (/^#{1,4} /.test(line)) {
      const level = line.indexOf(" ");
      const text = line.slice(level + 1).trim();
      const Tag = `h${Math.min(level, 4)}` as "h2";
      out.push(<Tag id={slug(text)}>{inline(text)}</Tag>);
      i++;
    } else if (line.trimStart().startsWith("|")) {
      const rows: string[] = [];
      for (; i < lines.length && lines[i]!.trimStart().startsWith("|"); i++) rows.push(lines[i]!);
      out.push(table(rows));
    } else if (/^\s*([-*]|\d+\.) /.test(line)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.) /.test(lines[i]!); i++) {
        items.push(lines[i]!.replace(/^\s*([-*]|\d+\.) /, ""));
        while (
          i + 1 < lines.length &&
          /^\s{2,}\S/.test(lines[i + 1]!) &&
          !/^\s*([-*]|\d+\.) /.test(lines[i + 1]!)
        ) {
          items[items.length - 1] += ` ${lines[++i]!.trim()}`;
        }
      }
      out.push(
        <ul>
          {items.map((item) => (
            <li>{inline(item)}</li>
          ))}
        </ul>,
      );
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i]!.trim() !== "" && !/^(#|\||```|\s*[-*] )/.test(lines[i]!); i++) {
        para.push(lines[i]!.trim());
      }
      out.push(<p>{inline(para.join(" "))}</p>);
    }
  }
  return out;
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());
}

function table(rows: string[]): Child {
  const [head, , ...body] = rows;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            {cells(head ?? "").map((c) => (
              <th scope="col">{inline(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row) => {
            const values = cells(row);
            const key = KEY.exec(values[0] ?? "");
            return (
              <tr id={key ? key[1] : undefined}>
                {values.map((c) => (
                  <td>{inline(c)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|(?<!\w)_[^_\s][^_]*_(?!\w)|\[[^\]]+\]\([^)\s]+\))/;

function inline(text: string): Child[] {
  return text
    .split(INLINE)
    .filter((part) => part !== "")
    .map((part) => {
      if (part.startsWith("`") && part.endsWith("`")) return <code>{part.slice(1, -1)}</code>;
      if (part.startsWith("**") && part.endsWith("**")) return <strong>{part.slice(2, -2)}</strong>;
      if (/^_[^_\s][^_]*_$/.test(part)) return <em>{part.slice(1, -1)}</em>;
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      if (link) {
        const href = /^(https?:|\/|#|[\w.-]+\.md)/.test(link[2]!) ? link[2]! : "#";
        return <a href={href}>{link[1]}</a>;
      }
      return part;
    });
}
