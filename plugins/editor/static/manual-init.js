// editor.js starts Decap CMS itself, once it has loaded the configuration the
// build made from the kind registry (editor.json).
window.CMS_MANUAL_INIT = true;
