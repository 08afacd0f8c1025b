// Writes a matrix as matrix.json (for CI jobs), matrix.md and matrix.html (for people).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { progress } from "../run/log.js";
import { renderMatrixHtml } from "./matrix-html.js";
import { renderMatrixMarkdown, type Matrix } from "./matrix.js";

export async function writeMatrix(dir: string, matrix: Matrix): Promise<Matrix> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "matrix.json"), `${JSON.stringify(matrix, null, 2)}\n`);
  await writeFile(join(dir, "matrix.md"), renderMatrixMarkdown(matrix));
  await writeFile(join(dir, "matrix.html"), renderMatrixHtml(matrix));
  progress(`wrote ${dir}/matrix.html, matrix.md and matrix.json`);
  return matrix;
}
