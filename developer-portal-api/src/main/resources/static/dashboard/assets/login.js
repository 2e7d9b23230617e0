// Trades the one-time secret in the URL fragment for a session cookie. The fragment never
// reaches a server; it is removed from the address bar and history before anything else.
(function () {
  'use strict';
  var secret = window.location.hash.slice(1);
  history.replaceState(null, '', window.location.pathname);
  function show(id) {
    document.getElementById('opening').hidden = true;
    document.getElementById('opening').setAttribute('aria-busy', 'false');
    document.getElementById(id).hidden = false;
  }
  if (!secret) {
    show('no-link');
    return;
  }
  fetch('/dashboard/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ secret: secret })
  }).then(function (response) {
    if (response.status === 204) {
      window.location.replace('/dashboard/endpoints');
    } else if (response.status === 403) {
      show('refused');
    } else {
      show('failed');
    }
  }, function () {
    show('failed');
  });
}());
