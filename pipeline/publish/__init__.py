"""Publishing: the output formats (formats/), the package descriptor (datapackage.py), the checks of a written
package (check.py) and the output folder's rules (outfolder.py). The publish stage that uses them is
pipeline/stages/publish.py."""
