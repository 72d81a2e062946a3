print("ballastd")
