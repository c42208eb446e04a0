// Runs first: any script error, failed promise, console.error or blocked resource is shown in a red
// banner at the top of the page (and kept in #report-errors, which the report test reads).
(function () {
  var seen = [];
  function show() {
    var box = document.getElementById('report-errors');
    if (!box) { return; }
    box.textContent = 'This report did not draw completely: ' + seen.join(' | ');
    box.hidden = false;
  }
  function record(message) {
    seen.push(String(message));
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', show);
    } else {
      show();
    }
  }
  window.addEventListener('error', function (e) {
    record(e.message ? e.message + ' (' + (e.filename || 'page') + ':' + e.lineno + ')' : 'failed to load ' + (e.target && e.target.tagName));
  }, true);
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the content security policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  var original = console.error;
  console.error = function () {
    record(Array.prototype.slice.call(arguments).join(' '));
    return original.apply(console, arguments);
  };
})();
