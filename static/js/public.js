// The parents' search: "use my location" fills lat/lng from the phone's location (no map service
// is available offline); typing an address clears it, so the typed address is used instead.
(function () {
  var button = document.getElementById("use-location");
  var lat = document.getElementById("id_lat");
  var lng = document.getElementById("id_lng");
  var address = document.getElementById("id_address");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      address.value = "";
      document.getElementById("public-search").submit();
    });
  });
  address.addEventListener("input", function () { lat.value = ""; lng.value = ""; });
})();
