import CNcursesw
import TermUI
