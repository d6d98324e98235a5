from .cli import main

main(prog_name="followup-gen")
