// The AWS SDK warns on every start under Node 20 that its releases after January 2027 need
// Node 22. The README says so once; a CLI repeating it on every command is only noise.
// Imported first by the entry points; an explicit setting in the environment still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
