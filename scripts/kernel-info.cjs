/**
 * What the course's kernel says about itself, in one place: the kernelspec names (used by set-up,
 * the lab launcher and the notebook runner) and the `language_info` that scripts/kernel.cjs
 * sends in its kernel_info_reply. JupyterLab copies both into a notebook's metadata when the
 * kernel starts; when they already match, opening and closing a notebook changes nothing and
 * it does not ask to save (scripts/normalize-notebooks.mjs writes them into every notebook).
 *
 * CommonJS so that scripts/kernel.cjs can require it; ES module scripts import it too.
 */
"use strict";
const path = require("node:path");

/** Name of the kernelspec that notebooks reference in their metadata. */
exports.KERNEL_NAME = "replication-lab";
/** What JupyterLab shows in its kernel picker. */
exports.KERNEL_DISPLAY_NAME = "TypeScript (Replication Lab)";

/** `metadata.kernelspec` of every notebook, as JupyterLab writes it for our kernel. */
exports.kernelspecMetadata = function kernelspecMetadata() {
  return { display_name: exports.KERNEL_DISPLAY_NAME, language: "typescript", name: exports.KERNEL_NAME };
};

/**
 * The TypeScript that compiles the cells: tslab's bundled copy (5.0.4 for tslab 1.0.22), not the
 * project's own compiler. tslab itself reports a hard-coded "3.7.2".
 */
exports.cellTypeScriptVersion = function cellTypeScriptVersion() {
  const root = path.resolve(__dirname, "..");
  return require(path.join(root, "node_modules", "@tslab", "typescript-for-tslab", "package.json")).version;
};

/**
 * The kernel's `language_info`: tslab's own (mimetype, file extension, the CodeMirror mode that
 * turns on TypeScript highlighting) with the real compiler version.
 */
exports.languageInfo = function languageInfo() {
  return {
    codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    file_extension: ".ts",
    mimetype: "text/typescript",
    name: "typescript",
    version: exports.cellTypeScriptVersion(),
  };
};
