export function Brand () {
  return <div class='brand'><span class='brand-mark' aria-hidden='true'>#</span>webchat</div>
}
