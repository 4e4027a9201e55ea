#!/usr/bin/env bash
# usage: fw_bad_elf.sh NMTWIN HELLO_ELF RISCV_GCC WORKDIR
# Every refusal of a firmware ELF by `nmtwin fw`: exit code 2 and a message naming the
# file and the reason; broken copies of hello.elf, and programs linked outside or
# beyond the core's memories.
set -uo pipefail
nmtwin=$1
hello=$2
gcc=$3
dir=$4
mkdir -p "$dir"
cd "$dir"

# patch OUT OFFSET BYTE: hello.elf with one byte changed.
patch() {
  cp "$hello" "$1"
  printf "$(printf '\\x%02x' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
echo "int main(void) { return 0; }" >text.elf
patch class64.elf 4 2
patch bigendian.elf 5 2
patch machine.elf 18 62
patch relocatable.elf 16 1
head -c 200 "$hello" >truncated.elf
flags=(-misa-spec=2.2 -march=rv32im -mabi=ilp32 -nostdlib -nostartfiles)
printf '.globl _start\n_start: j _start\n' >start.S
"$gcc" "${flags[@]}" -Wl,-Ttext=0x80000000 start.S -o outside.elf
printf '.globl _start\n_start: j _start\n.space 20000\n' >big.S
"$gcc" "${flags[@]}" -Wl,-Ttext=0 big.S -o too_big.elf

fails=0
check() {
  local file=$1 regex=$2
  "$nmtwin" fw "$file" >"$file.out" 2>"$file.err"
  local rc=$?
  if [ "$rc" -ne 2 ] || ! grep -Eq -- "$regex" "$file.err"; then
    echo "FAIL: $file: exit $rc (expected 2), stderr:"
    cat "$file.err"
    echo "  expected to match: $regex"
    fails=$((fails + 1))
  else
    echo "ok: $file: $(cat "$file.err")"
  fi
}
check missing.elf 'missing.elf: cannot open the file: give the path of a firmware ELF'
check text.elf 'text.elf: not an ELF file'
check class64.elf 'class64.elf: ELF class 2 is not ELFCLASS32'
check bigendian.elf 'bigendian.elf: data encoding 2 is not little-endian'
check machine.elf 'machine.elf: machine 62 is not RISC-V'
check relocatable.elf 'relocatable.elf: ELF type 1 is not an executable'
check truncated.elf 'truncated.elf: the file is truncated'
check outside.elf "outside.elf: .* lies outside the core's memories"
check too_big.elf 'too_big.elf: .* does not fit the'
[ "$fails" -eq 0 ] || exit 1
