// Placeholder entry so the workspace links while the engine is written; replaced by the regex helper.
export {}
