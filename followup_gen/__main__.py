from followup_gen.cli import main

if __name__ == "__main__":
    main(prog_name="followup-gen")
