# Sourced by the install scripts: fetch one package from another Debian release without touching the
# system's apt state (private lists and cache under .tools/apt/<suite>), and unpack it with dpkg -x.
#   debian_mirror                  prints the mirror this machine's apt already uses (no host hard-coded)
#   debian_fetch SUITE PACKAGE DIR downloads PACKAGE from SUITE and unpacks it into DIR (emptied first)

debian_mirror() {
  local mirror=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\// && $i !~ /security/) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  [ -n "$mirror" ] || return 1
  echo "$mirror"
}

debian_fetch() {
  local suite="$1" package="$2" target="$3" mirror
  if ! command -v apt-get >/dev/null 2>&1 || [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
    echo "this is not a Debian-like system with apt and Debian's archive keyring" >&2
    return 1
  fi
  if ! mirror="$(debian_mirror)"; then
    echo "no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2
    return 1
  fi
  local apt_dir="$repo_root/.tools/apt/$suite"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$apt_dir/sources.list"
  local apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    # The machine's installed packages must not decide the version: an installed security update of the same
    # package is not in this suite's list, and apt would then ask for a version it cannot download.
    -o "Dir::State::status=/dev/null"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
  )
  echo "fetching Debian's $package package ($suite) from $mirror" >&2
  apt-get "${apt_opts[@]}" -qq update >&2
  rm -f "$apt_dir/${package}_"*.deb
  (cd "$apt_dir" && apt-get "${apt_opts[@]}" -qq download "$package" >&2)
  rm -rf "$target"
  dpkg -x "$(ls "$apt_dir/${package}_"*.deb | head -n 1)" "$target"
}
