// Entry point of the webview bundle; the panels arrive with the webview issue.
export {};
